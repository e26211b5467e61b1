import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module.js';
import { RelationsModule } from '../relations/relations.module.js';
import {
  ExploreRepositoryModule,
  FollowsRepositoryModule,
  LikesRepositoryModule,
  PostsRepositoryModule,
  TagsRepositoryModule,
  UsersRepositoryModule,
} from '../repositories/repository.modules.js';
import { DiscoveryController } from './discovery.controller.js';
import { ExploreService } from './explore.service.js';
import { SearchIndexer } from './search-indexer.js';
import { SearchService } from './search.service.js';
import { SuggestionsService } from './suggestions.service.js';
import { TagsService } from './tags.service.js';

/** Finding people, hashtags and posts: search, tag pages, explore and suggestions. */
@Module({
  imports: [
    PostsModule,
    RelationsModule,
    ExploreRepositoryModule,
    FollowsRepositoryModule,
    LikesRepositoryModule,
    PostsRepositoryModule,
    TagsRepositoryModule,
    UsersRepositoryModule,
  ],
  controllers: [DiscoveryController],
  providers: [SearchService, SearchIndexer, TagsService, ExploreService, SuggestionsService],
})
export class DiscoveryModule {}
