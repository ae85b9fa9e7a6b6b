import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { ScheduleStore } from './schedule-store';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

/** POST/GET/DELETE /schedule (the API side; worker nodes run the occurrences, see ScheduleRunner). */
@Module({
  imports: [DevicesModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleStore],
})
export class SchedulesModule {}
