import { describe, expect, it } from 'vitest';
import { channelTypeName } from './channel-types';

describe('channelTypeName', () => {
  it('translates the known codes', () => {
    expect(channelTypeName('zh-CN', 'modern_trade')).toBe('现代渠道（商超）');
    expect(channelTypeName('en-US', 'community_group')).toBe('Community group buying');
  });

  it("shows a tenant's own channel types as they are", () => {
    expect(channelTypeName('zh-CN', '母婴店')).toBe('母婴店');
    expect(channelTypeName('en-US', 'toString')).toBe('toString');
  });
});
