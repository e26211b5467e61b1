import { loadConfig } from '../config/app-config.js';
import { webDirectives } from './web-app.js';

describe('webDirectives', () => {
  it('should allow images and uploads from the local blob folder only, without Cloud Storage', () => {
    const sut = webDirectives(loadConfig({ STORE: 'memory', PUBLIC_URL: 'http://photos.test:9000/' }));
    expect(sut.imgSrc).toEqual([
      "'self'",
      'data:',
      'blob:',
      'http://photos.test:9000',
      'https://*.googleusercontent.com',
    ]);
    expect(sut.connectSrc).toEqual(["'self'", 'http://photos.test:9000']);
    expect(sut.scriptSrc).toEqual(["'self'"]);
    expect(sut.frameSrc).toEqual(["'none'"]);
  });

  it('should name the buckets, never all of storage.googleapis.com', () => {
    const sut = webDirectives(
      loadConfig({ STORE: 'memory', GCS_BUCKET: 'pf-uploads', GCS_MEDIA_BUCKET: 'pf-media', GOOGLE_CLIENT_IDS: 'c1' }),
    );
    expect(sut.imgSrc).toEqual([
      "'self'",
      'data:',
      'blob:',
      'https://storage.googleapis.com/pf-media/',
      'https://storage.googleapis.com/pf-uploads/',
      'https://*.googleusercontent.com',
    ]);
    expect(sut.connectSrc).toEqual([
      "'self'",
      'https://storage.googleapis.com/pf-uploads/',
      'https://accounts.google.com/gsi/',
    ]);
    expect(sut.scriptSrc).toEqual(["'self'", 'https://accounts.google.com/gsi/client']);
    expect(sut.styleSrc).toEqual(["'self'", 'https://accounts.google.com/gsi/style']);
    expect(sut.frameSrc).toEqual(['https://accounts.google.com/gsi/']);
  });

  it('should take the processed images from the CDN and keep old posts’ images from the uploads bucket', () => {
    const sut = webDirectives(
      loadConfig({
        STORE: 'memory',
        GCS_BUCKET: 'pf-uploads',
        GCS_MEDIA_BUCKET: 'pf-media',
        MEDIA_BASE_URL: 'https://cdn.example.com/media/',
      }),
    );
    expect(sut.imgSrc).toEqual([
      "'self'",
      'data:',
      'blob:',
      'https://cdn.example.com/media/',
      'https://storage.googleapis.com/pf-uploads/',
      'https://*.googleusercontent.com',
    ]);
  });
});
