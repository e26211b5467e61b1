import { Controller, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { Public } from '../../common/public.decorator.js';
import { BlobStore } from '../blob-store.js';
import { LocalBlobStore, type BlobUrlParams } from './local-blob-store.js';

/**
 * The local folder's signed URLs, served by the app itself (the Cloud Storage part of the API when there is no
 * bucket). The signature in the URL is the authorization, as with Cloud Storage, so these routes are public.
 */
@ApiExcludeController()
@Public()
@Controller('v1/blobs')
export class LocalBlobsController {
  private readonly blobs: LocalBlobStore;

  constructor(blobs: BlobStore) {
    this.blobs = blobs as LocalBlobStore;
  }

  @Put(':name')
  @HttpCode(200)
  async putBlob(@Param('name') name: string, @Query() params: BlobUrlParams, @Req() req: Request): Promise<void> {
    const length = req.headers['content-length'];
    await this.blobs.receive(name, params, {
      contentType: req.headers['content-type'],
      contentLength: length === undefined ? undefined : Number(length),
      body: req,
    });
  }

  @Get(':name')
  async getBlob(
    @Param('name') name: string,
    @Query() params: BlobUrlParams,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { info, body } = await this.blobs.open(name, params);
    res.setHeader('Cache-Control', info.cacheControl);
    res.setHeader('ETag', info.etag);
    if (matches(req.headers['if-none-match'], info.etag)) {
      body.destroy();
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', info.contentType);
    res.setHeader('Content-Length', String(info.size));
    // The client may be gone already (a half-closed connection is closed before the file is open): then nothing
    // would ever read or end the stream, so close the file now. Otherwise pipeline closes it on any early end.
    if (req.socket.destroyed || res.closed) {
      body.destroy();
      return;
    }
    await pipeline(body, res).catch(() => undefined);
  }
}

/** If-None-Match: `*`, or a list of entity tags compared weakly (RFC 9110 13.1.2). */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
