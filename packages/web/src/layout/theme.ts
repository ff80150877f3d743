import type { ThemeConfig } from 'antd';

/** Console colours: a calm navy primary that reads as "finance", not "marketing". */
export const brand = {
  primary: '#1d4f91',
  sales: '#1d4f91',
  payments: '#2fa58a',
  target: '#e08a1e',
  siderBg: '#0f2240',
} as const;

export const theme: ThemeConfig = {
  token: {
    colorPrimary: brand.primary,
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { siderBg: brand.siderBg, headerBg: '#ffffff', bodyBg: '#f4f6fa' },
    Menu: { darkItemBg: brand.siderBg, darkSubMenuItemBg: brand.siderBg },
  },
};
