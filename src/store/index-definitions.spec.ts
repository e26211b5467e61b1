import { suggestIndex } from './index-definitions.js';

describe('suggestIndex', () => {
  it('should list equality properties, then the orders, without a trailing ascending key order', () => {
    const sut = suggestIndex({
      kind: 'PostReceiver',
      filters: [{ property: 'receivers', op: '=', value: 'me' }],
      orders: [
        { property: 'createdAt', direction: 'desc' },
        { property: '__key__', direction: 'asc' },
      ],
      limit: 10,
    });

    expect(sut).toBe(
      [
        '- kind: PostReceiver',
        '  properties:',
        '  - name: receivers',
        '  - name: createdAt',
        '    direction: desc',
      ].join('\n'),
    );
  });

  it('should add the ancestor and the inequality property when no order names it', () => {
    const sut = suggestIndex({
      kind: 'Comment',
      ancestor: { kind: 'Post', name: 'p' },
      filters: [
        { property: 'at', op: '>', value: 1 },
        { property: 'author', op: '=', value: 'a' },
      ],
      limit: 10,
    });

    expect(sut).toBe(
      ['- kind: Comment', '  ancestor: yes', '  properties:', '  - name: author', '  - name: at'].join('\n'),
    );
  });
});
