import { HttpException, HttpStatus } from '@nestjs/common';
import { FieldError } from './envelope';

/** An error with an envelope message and optional `data` (field errors, a report); the exception filter renders it. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, message: string, readonly data: FieldError[] | object | null = null) {
    super(message, status);
  }

  static badRequest(message: string, fields: FieldError[] | null = null): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, message, fields);
  }
}
