import type { RenderedBlock } from '../../flows/store-home-page.ts';
import { absoluteImage, toGoodsListItem, type MappingEnv, type ProductLike } from './mapping.ts';

/**
 * ordo's store page → YoShop's DIY page (`page/detail`'s `pageData`): `page` sets the title bar, `items` are the
 * diy components the client draws by `type` (search, banner, notice, navBar, goods), each with the `style`,
 * `params` and `data` its component reads. Links are the client's `{type: 'PAGE', param: {path, query}}`.
 */

const pageLink = (path: string, query: Record<string, number>) => ({ type: 'PAGE', param: { path, query } });

const goodsLink = (productId: number | null) =>
  productId === null ? null : pageLink('pages/goods/detail', { goodsId: productId });

function toItem(block: RenderedBlock, env: MappingEnv) {
  switch (block.type) {
    case 'search':
      return {
        name: '搜索框',
        type: 'search',
        params: { placeholder: block.placeholder },
        style: { textAlign: 'left', searchStyle: 'radius' },
      };
    case 'banner':
      return {
        name: '图片轮播',
        type: 'banner',
        params: {},
        style: { btnColor: '#ffffff', btnShape: 'round', interval: 3 },
        data: block.slides.map((s) => ({
          imgUrl: absoluteImage(s.imageUrl, env.publicUrl),
          link: goodsLink(s.productId),
        })),
      };
    case 'notice':
      return {
        name: '店铺公告',
        type: 'notice',
        params: { text: block.text, link: null, showIcon: true, scrollable: true },
        style: { paddingTop: 4, background: '#fffbe8', textColor: '#de8c17' },
      };
    case 'navigation':
      return {
        name: '导航组',
        type: 'navBar',
        params: {},
        style: { rowsNum: Math.min(4, Math.max(1, block.entries.length)), background: '#ffffff', textColor: '#666666' },
        data: block.entries.map((e) => ({
          imgUrl: absoluteImage(e.imageUrl, env.publicUrl),
          text: e.text,
          link: e.categoryId === null ? null : pageLink('pages/goods/list', { categoryId: e.categoryId }),
        })),
      };
    case 'products':
      return {
        name: block.title || '商品组',
        type: 'goods',
        params: { source: block.source === 'newest' ? 'auto' : 'choice', auto: { showNum: block.count } },
        style: {
          background: '#f6f6f6',
          display: 'list',
          column: 2,
          show: ['goodsName', 'goodsPrice', 'linePrice', 'sellingPoint', 'goodsSales'],
        },
        data: block.products.map((p) => toPageGoods(p, env)),
      };
  }
}

function toPageGoods(p: ProductLike, env: MappingEnv) {
  const item = toGoodsListItem(p, env);
  return { ...item, line_price_max: item.line_price_min, spec_type: p.options.length ? 20 : 10 };
}

export function toYoshopPage(page: { title: string; blocks: RenderedBlock[] }, env: MappingEnv) {
  return {
    page: {
      name: '页面设置',
      type: 'page',
      params: { name: page.title, title: page.title, shareTitle: page.title },
      style: { titleTextColor: 'black', titleBackgroundColor: '#ffffff' },
    },
    items: page.blocks.map((b) => toItem(b, env)),
  };
}
