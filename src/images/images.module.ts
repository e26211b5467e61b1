import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ImageProcessor } from './image-processor.js';

/** One image processor per process: its slots bound the decodes of every feature that takes uploads. */
@Module({
  providers: [
    {
      provide: ImageProcessor,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ImageProcessor(config.imageDecodeConcurrency),
    },
  ],
  exports: [ImageProcessor],
})
export class ImagesModule {}
