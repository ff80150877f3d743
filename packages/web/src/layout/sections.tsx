import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  CrownOutlined,
  FundOutlined,
  PieChartOutlined,
  RiseOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  GiftOutlined,
  KeyOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  SecurityScanOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

const icons: Readonly<Record<string, ReactNode>> = {
  dashboard: <DashboardOutlined />,
  dealers: <TeamOutlined />,
  policies: <ApartmentOutlined />,
  assessments: <AuditOutlined />,
  resources: <GiftOutlined />,
  benefits: <CrownOutlined />,
  allocations: <PieChartOutlined />,
  rebates: <RiseOutlined />,
  funds: <FundOutlined />,
  alerts: <AlertOutlined />,
  notifications: <NotificationOutlined />,
  imports: <CloudUploadOutlined />,
  ledger: <SafetyCertificateOutlined />,
  verify: <SecurityScanOutlined />,
  portal: <ShopOutlined />,
  settings: <SettingOutlined />,
  users: <UserOutlined />,
  tokens: <KeyOutlined />,
  audit: <FileSearchOutlined />,
};

/** The icon of a navigation item (layout/nav.ts), by its key. */
export function navIcon(key: string): ReactNode {
  return icons[key] ?? null;
}
