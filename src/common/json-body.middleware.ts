import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Deeper than any request body of the API; past it the validators would recurse until the stack runs out. */
export const MAX_BODY_DEPTH = 16;

/** Keys that class-transformer drops before validation, so `forbidNonWhitelisted` never sees them. */
const HIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/** What is wrong with a parsed JSON body before the DTO validation sees it, or undefined when nothing is. */
export function jsonBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'request body must be a JSON object';
  }
  const hidden = HIDDEN_KEYS.find((key) => Object.hasOwn(body, key));
  if (hidden !== undefined) {
    return `property ${hidden} should not exist`;
  }
  const deep = Object.entries(body).find(([, value]) => depthOver(value, MAX_BODY_DEPTH - 1));
  return deep && `${deep[0]} is nested more than ${MAX_BODY_DEPTH} levels deep`;
}

/** Whether a JSON value nests more than `max` levels, walked level by level (no recursion to overflow). */
function depthOver(value: unknown, max: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > max) {
      return true;
    }
    level = level.flatMap((item): unknown[] => (typeof item === 'object' && item !== null ? Object.values(item) : []));
  }
  return false;
}

/** Refuses a JSON body that is not an object the DTO validation can take apart safely. */
export function checkJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const problem = req.body === undefined ? undefined : jsonBodyProblem(req.body);
  next(problem === undefined ? undefined : new BadRequestException(problem));
}
