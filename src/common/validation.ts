import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** The global pipe: unknown fields and wrong types are refused with the fields named; nothing reaches a service. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => ApiError.badRequest(Messages.validation, toFieldErrors(errors)),
  });
}
