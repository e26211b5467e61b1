import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { LimitQuery, PageQuery } from '../common/dto/page-query.dto.js';
import { PostPageDto } from '../posts/dto/post.dto.js';
import { SearchQuery, TagDto, TagListDto, TagParam, UserListDto } from './dto/discovery.dto.js';
import { ExploreService } from './explore.service.js';
import { SearchService } from './search.service.js';
import { SuggestionsService } from './suggestions.service.js';
import { TagsService } from './tags.service.js';

@SignedInApi('discovery')
@Controller('v1')
export class DiscoveryController {
  constructor(
    private readonly search: SearchService,
    private readonly tags: TagsService,
    private readonly explore: ExploreService,
    private readonly suggestions: SuggestionsService,
  ) {}

  /** People whose username, or a word of whose name, starts with `q` (any case or accent): exact username first. */
  @Get('search/users')
  @ApiBadRequestResponse({ description: 'q missing or longer than 30 characters, or a bad limit' })
  searchUsers(@CurrentUser() caller: AuthenticatedUser, @Query() query: SearchQuery): Promise<UserListDto> {
    return this.search.searchUsers(caller, query);
  }

  /** Hashtags starting with `q` (a leading `#` is ignored), most used first. */
  @Get('search/tags')
  @ApiBadRequestResponse({ description: 'q missing or longer than 30 characters, or a bad limit' })
  searchTags(@Query() query: SearchQuery): Promise<TagListDto> {
    return this.search.searchTags(query);
  }

  /** A hashtag and how many posts have it in their caption. */
  @Get('tags/:tag')
  @ApiBadRequestResponse({ description: 'not a hashtag' })
  getTag(@Param() params: TagParam): Promise<TagDto> {
    return this.tags.getTag(params.tag);
  }

  /** Posts with the hashtag, newest first; a page may hold fewer than `limit` (posts the caller may not see). */
  @Get('tags/:tag/posts')
  @ApiBadRequestResponse({ description: 'not a hashtag, or a bad limit or cursor' })
  getTagPosts(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: TagParam,
    @Query() page: PageQuery,
  ): Promise<PostPageDto> {
    return this.tags.tagPosts(params.tag, page, caller);
  }

  /** Posts to discover: the day's most liked from public accounts the caller does not follow, then recent ones. */
  @Get('explore')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  getExplore(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<PostPageDto> {
    return this.explore.getExplore(caller, page);
  }

  /** People to follow: followed by people the caller follows, then popular accounts. */
  @Get('me/suggestions')
  @ApiBadRequestResponse({ description: 'bad limit' })
  getSuggestions(@CurrentUser() caller: AuthenticatedUser, @Query() query: LimitQuery): Promise<UserListDto> {
    return this.suggestions.suggest(caller, query);
  }
}
