import type { ReviewWithAuthor } from '../../flows/product-review-page.ts';
import { absoluteImage, yoshopTime, type MappingEnv } from './mapping.ts';

/**
 * ordo's reviews (1 to 5 stars) → YoShop's comments, whose `score` is a band: 10 好评 (4–5 stars), 20 中评 (2–3),
 * 30 差评 (1). The client draws a band as 5, 3 or 1 stars.
 */
export const SCORE_BANDS: Record<number, { min: number; max: number } | undefined> = {
  10: { min: 4, max: 5 },
  20: { min: 2, max: 3 },
  30: { min: 1, max: 1 },
};

export const scoreOf = (rating: number): number => (rating >= 4 ? 10 : rating >= 2 ? 20 : 30);

export function toYoshopComment(r: ReviewWithAuthor, env: MappingEnv) {
  return {
    comment_id: r.id,
    score: scoreOf(r.rating),
    content: r.content,
    is_picture: r.imageUrls.length > 0 ? 1 : 0,
    create_time: yoshopTime(r.createdAt, env.timeZone),
    user: { nick_name: r.author.nickname || '匿名用户', avatar_url: absoluteImage(r.author.avatarUrl, env.publicUrl) },
    images: r.imageUrls.map((u, i) => ({ image_id: i + 1, image_url: absoluteImage(u, env.publicUrl) })),
    orderGoods: {
      goods_props: r.options.map((o) => ({ group: { name: '规格' }, value: { name: o.title } })),
    },
  };
}

/** The tab counts of the comment page: all, and by band. */
export function toCommentTotal(byRating: Record<'1' | '2' | '3' | '4' | '5', number>) {
  const stars = (min: number, max: number) =>
    Object.entries(byRating).reduce((n, [k, v]) => (Number(k) >= min && Number(k) <= max ? n + v : n), 0);
  return { all: stars(1, 5), praise: stars(4, 5), review: stars(2, 3), negative: stars(1, 1) };
}
