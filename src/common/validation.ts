import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { FieldError } from './envelope';
import { Messages } from './messages';

/** Flattens nested class-validator errors into `[{field: "connection_args.host", error}]`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((error) => ({ field, error: error.replace(/^(?:\w+\.)*/, '') }));
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

/** Keys that class-transformer silently drops; refused instead, like any other unknown field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Every `__proto__` / `constructor` / `prototype` key in a parsed body or query, as field paths. */
export function forbiddenKeys(value: unknown, parent = ''): FieldError[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const field = parent ? `${parent}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return [{ field, error: `property ${key} should not exist` }];
    return forbiddenKeys((value as Record<string, unknown>)[key], field);
  });
}

/** ValidationPipe, plus a check for the keys class-transformer would drop without a word. */
class EnvelopeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const fields = forbiddenKeys(value);
      if (fields.length > 0) throw ApiError.badRequest(Messages.validation, fields);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields and wrong types are refused with the fields named; nothing reaches a service. */
export function createValidationPipe(): ValidationPipe {
  return new EnvelopeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => ApiError.badRequest(Messages.validation, toFieldErrors(errors)),
  });
}
