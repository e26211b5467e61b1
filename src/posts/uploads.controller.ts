import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { CreateUploadRequest, UploadDto } from './dto/upload.dto.js';
import { UploadsService } from './uploads.service.js';

@SignedInApi('posts')
@Controller('v1')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** A signed URL to PUT an image to; then publish it with POST /v1/posts. */
  @Post('uploads')
  @ApiBadRequestResponse({ description: 'an unsupported type or a bad length' })
  @ApiPayloadTooLargeResponse({ description: 'contentLength is over UPLOAD_MAX_BYTES' })
  createUpload(@CurrentUser() caller: AuthenticatedUser, @Body() body: CreateUploadRequest): Promise<UploadDto> {
    return this.uploads.createUpload(caller, body);
  }
}
