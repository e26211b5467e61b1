/** Every query key of the app, in one place: what an update after a write has to find. */
export const keys = {
  me: ['me'] as const,
  signInOptions: ['sign-in-options'] as const,
  timeline: ['posts', 'timeline'] as const,
  post: (id: string) => ['posts', 'one', id] as const,
  userPosts: (userId: string) => ['posts', 'user', userId] as const,
  /** Every cached query that holds posts: a like or a delete changes them all. */
  allPosts: ['posts'] as const,
  likers: (postId: string) => ['likers', postId] as const,
  allLikers: ['likers'] as const,
  user: (username: string) => ['users', 'by-username', username] as const,
  /** Every cached profile: a follow changes the counts of two of them. */
  allUsers: ['users'] as const,
  followers: (userId: string) => ['follows', 'followers', userId] as const,
  following: (userId: string) => ['follows', 'following', userId] as const,
  allFollows: ['follows'] as const,
  followRequests: ['follows', 'requests'] as const,
  blocks: ['follows', 'blocks'] as const,
  mutes: ['follows', 'mutes'] as const,
  reports: ['reports'] as const,
  comments: (postId: string) => ['comments', 'post', postId] as const,
  replies: (commentId: string) => ['comments', 'replies', commentId] as const,
  /** Every cached list of comments: a like or a delete changes them. */
  allComments: ['comments'] as const,
  notifications: ['notifications', 'list'] as const,
  searchUsers: (q: string) => ['search', 'users', q] as const,
  searchTags: (q: string) => ['search', 'tags', q] as const,
  tag: (tag: string) => ['tags', tag] as const,
  tagPosts: (tag: string) => ['posts', 'tag', tag] as const,
  explore: ['posts', 'explore'] as const,
  suggestions: ['suggestions'] as const,
  unreadCount: ['notifications', 'unread'] as const,
};
