// ts-jest wants a CommonJS transformer with a factory; this hands it the same Swagger CLI plugin `nest build` uses.
const plugin = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) =>
  plugin.before({ classValidatorShim: true, introspectComments: true }, compiler.program);
