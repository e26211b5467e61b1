import { Module } from '@nestjs/common';
import {
  FollowsRepositoryModule,
  PairsRepositoryModule,
  UsersRepositoryModule,
} from '../repositories/repository.modules.js';
import { Relations } from './relations.js';

/** Who may see whom: the relation lookups every feature joins into its pages. */
@Module({
  imports: [FollowsRepositoryModule, PairsRepositoryModule, UsersRepositoryModule],
  providers: [Relations],
  exports: [Relations, PairsRepositoryModule],
})
export class RelationsModule {}
