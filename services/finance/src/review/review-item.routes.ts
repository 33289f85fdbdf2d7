import { actorOf, IdParams, type ServiceApp } from '@lessor/service-kit';
import type { ReviewItemRow } from './review-item.repository.ts';
import { DiscardRequest, ReviewItem, ReviewItemList, ReviewItemListQuery } from './review-item.schemas.ts';
import type { ReviewItemService } from './review-item.service.ts';

const tags = ['review'];

function view(item: ReviewItemRow): ReviewItem {
  const { envelope, derived, ...rest } = item;
  return {
    ...rest,
    status: item.status,
    event: envelope,
    derived: derived as Record<string, string>,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    resolvedAt: item.resolvedAt ? item.resolvedAt.toISOString() : null,
  };
}

/** The review list of events finance could not post. */
export function registerReviewItemRoutes(app: ServiceApp, reviews: ReviewItemService): void {
  app.get(
    '/v1/review-items',
    {
      config: { permission: 'finance:review:read' },
      schema: {
        tags,
        summary: 'Events finance could not post, with the reason',
        description: 'Newest first. `?status=open` for the work list.',
        querystring: ReviewItemListQuery,
        response: { 200: ReviewItemList },
      },
    },
    async (request) => {
      const page = await reviews.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/review-items/:id',
    {
      config: { permission: 'finance:review:read' },
      schema: { tags, summary: 'Read a review item', params: IdParams, response: { 200: ReviewItem } },
    },
    async (request) => view(await reviews.get(request.params.id)),
  );

  app.post(
    '/v1/review-items/:id/retry',
    {
      config: { permission: 'finance:review:write' },
      schema: {
        tags,
        summary: 'Post the event again, after fixing the cause',
        description:
          'With the rules, chart, periods and business date as they are now. Posted: the item is `resolved` with its `entryId`; refused again: it stays `open` with the new reason.',
        params: IdParams,
        response: { 200: ReviewItem },
      },
    },
    async (request) => view(await reviews.retry(request.params.id, actorOf(request))),
  );

  app.post(
    '/v1/review-items/:id/discard',
    {
      config: { permission: 'finance:review:write' },
      schema: {
        tags,
        summary: 'Give up on an event: it will not be posted',
        params: IdParams,
        body: DiscardRequest,
        response: { 200: ReviewItem },
      },
    },
    async (request) => view(await reviews.discard(request.params.id, request.body.note, actorOf(request))),
  );
}
