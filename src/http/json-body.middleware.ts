import { DomainError, ErrorCode } from '../common/errors.js';
import type { NextFunction, Request, Response } from 'express';

/** Deeper than any request body of the API; past it the validators would recurse until the stack runs out. */
export const MAX_BODY_DEPTH = 16;

/**
 * Keys validation never sees as unknown: class-transformer drops `__proto__`, and the names every object inherits
 * (`constructor`, `toString`, ...) look declared to the whitelist check.
 */
const HIDDEN_KEYS = ['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)];

/** What is wrong with a parsed JSON body before the DTO validation sees it, or undefined when nothing is. */
export function jsonBodyProblem(body: unknown, text?: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'request body must be a JSON object';
  }
  const deep = Object.entries(body).find(([, value]) => depthOver(value, MAX_BODY_DEPTH - 1));
  if (deep) {
    return `${deep[0]} is nested more than ${MAX_BODY_DEPTH} levels deep`;
  }
  const hidden = hiddenKey(body);
  if (hidden !== undefined) {
    return `property ${hidden} should not exist`;
  }
  const duplicate = text === undefined ? undefined : duplicateKey(text);
  // JSON.parse keeps the last of two equal keys, another parser the first: a body must mean one thing.
  return duplicate === undefined ? undefined : `property ${duplicate} appears more than once`;
}

/** Query parameters class-transformer would drop before validation: refused like any other unknown parameter. */
export function queryProblem(query: unknown): string | undefined {
  const hidden = typeof query === 'object' && query !== null ? hiddenKey(query) : undefined;
  return hidden === undefined ? undefined : `property ${hidden} should not exist`;
}

/** The first key at any depth that validation would never see, walked level by level. */
function hiddenKey(value: object): string | undefined {
  let level: unknown[] = [value];
  while (level.length > 0) {
    for (const item of level) {
      const found = HIDDEN_KEYS.find((key) => Object.hasOwn(item as object, key));
      if (found !== undefined) {
        return found;
      }
    }
    level = level
      .flatMap((item): unknown[] => Object.values(item as object))
      .filter((item) => typeof item === 'object' && item !== null);
  }
  return undefined;
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

/** The first key that appears twice in one object of a valid JSON text, in one pass over it. */
export function duplicateKey(text: string): string | undefined {
  const open: (Set<string> | undefined)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : undefined);
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') {
        end += text[end] === '\\' ? 2 : 1;
      }
      const keys = open.at(-1);
      let after = end + 1;
      while (text[after] === ' ' || text[after] === '\n' || text[after] === '\r' || text[after] === '\t') {
        after++;
      }
      if (keys && text[after] === ':') {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) {
          return key;
        }
        keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

/** Refuses a JSON body that is not an object the DTO validation can take apart safely, and hidden query keys. */
export function checkJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const text = (req as Request & { rawBody?: Buffer }).rawBody?.toString('utf8');
  const problem = queryProblem(req.query) ?? (req.body === undefined ? undefined : jsonBodyProblem(req.body, text));
  next(problem === undefined ? undefined : new DomainError(ErrorCode.InvalidBody, problem));
}
