import { Module } from '@nestjs/common';
import { DeviceLocks } from './device-locks';

/** Device protection's locks, for the API's /device routes, GET /health and /metrics. */
@Module({ providers: [DeviceLocks], exports: [DeviceLocks] })
export class DeviceLocksModule {}
