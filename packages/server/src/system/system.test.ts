import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ProductPage, RegionList, TenantInfo } from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  type TestChannel,
} from '../test/factories.js';

let store: TestStore;
let app: FastifyInstance;
let channel: TestChannel;
let headers: Record<string, string>;

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
  await makeDealer(store.db, channel.tenantId, { region_id: channel.regions.th });
  await makeDealer(store.db, channel.tenantId, { region_id: channel.regions.ns });
  await makeDealer(store.db, channel.tenantId, { region_id: channel.regions.sd });
  const analyst = await makeUser(store.db, channel.tenantId, { role: 'analyst' });
  headers = await sessionHeaders(store.db, channel.tenantId, analyst.id);
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    defaultTenant: channel.slug,
    version: '9.9.9',
  });
});
afterAll(async () => {
  await app.close();
  await store.destroy();
});

describe('system routes', () => {
  it('reports health with the engine', async () => {
    const response = await app.inject('/api/health');
    expect(response.json()).toEqual({ status: 'ok', engine: store.engine, version: '9.9.9' });
  });

  it('publishes an OpenAPI 3.1 document with every route and rendered docs', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; description?: string }[] }>
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/v1/tenant',
      '/api/v1/dealers',
      '/api/v1/dealers/{id}',
      '/api/v1/dealers/facets',
      '/api/v1/regions',
      '/api/v1/products',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const region = doc.paths['/api/v1/dealers']?.['get']?.parameters?.find(
      (p) => p.name === 'region',
    );
    expect(region?.description).toMatch(/every region below/);
    const docs = await app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await app.inject('/api/v1/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('describes the tenant', async () => {
    const tenant = (await app.inject({ url: '/api/v1/tenant', headers })).json<TenantInfo>();
    expect(tenant).toMatchObject({
      slug: channel.slug,
      currency: 'CNY',
      currencyMinorUnits: 2,
      dataRange: null,
    });
  });

  it('lists regions level by level with dealer counts of the subtree', async () => {
    const top = (await app.inject({ url: '/api/v1/regions', headers })).json<RegionList>();
    expect(top.items.map((r) => [r.code, r.dealerCount])).toEqual([
      ['370000', 1],
      ['440000', 2],
    ]);
    const gd = (
      await app.inject({ url: '/api/v1/regions?parent=440000', headers })
    ).json<RegionList>();
    expect(gd.items.map((r) => [r.name, r.dealerCount])).toEqual([
      ['广州市', 1],
      ['深圳市', 1],
    ]);
    expect((await app.inject({ url: '/api/v1/regions?parent=999999', headers })).statusCode).toBe(
      404,
    );
  });

  it('lists and searches products', async () => {
    const all = (
      await app.inject({ url: '/api/v1/products?limit=2', headers })
    ).json<ProductPage>();
    expect(all.total).toBe(3);
    expect(all.categories).toEqual(['休闲零食', '饮料']);
    const next = (
      await app.inject({ url: `/api/v1/products?limit=2&cursor=${all.nextCursor}`, headers })
    ).json<ProductPage>();
    expect([...all.items, ...next.items].map((p) => p.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3']);
    const tea = (
      await app.inject({ url: `/api/v1/products?q=${encodeURIComponent('乌龙')}`, headers })
    ).json<ProductPage>();
    expect(tea.items.map((p) => p.sku)).toEqual(['SKU-2']);
  });

  it('sets basic security headers', async () => {
    const response = await app.inject('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});
