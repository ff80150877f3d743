import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  GiftOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/messages';

/** A console section of PRODUCT §8, in navigation order. */
export interface Section {
  key: string;
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** What the section will do, for sections that are not built yet; undefined when built. */
  pending?: MessageKey;
}

export const sections: readonly Section[] = [
  { key: 'dashboard', path: '/', label: 'nav.dashboard', icon: <DashboardOutlined /> },
  { key: 'dealers', path: '/dealers', label: 'nav.dealers', icon: <TeamOutlined /> },
  {
    key: 'policies',
    path: '/policies',
    label: 'nav.policies',
    icon: <ApartmentOutlined />,
    pending: 'section.policies',
  },
  {
    key: 'assessments',
    path: '/assessments',
    label: 'nav.assessments',
    icon: <AuditOutlined />,
    pending: 'section.assessments',
  },
  {
    key: 'resources',
    path: '/resources',
    label: 'nav.resources',
    icon: <GiftOutlined />,
    pending: 'section.resources',
  },
  {
    key: 'alerts',
    path: '/alerts',
    label: 'nav.alerts',
    icon: <AlertOutlined />,
    pending: 'section.alerts',
  },
  {
    key: 'imports',
    path: '/imports',
    label: 'nav.imports',
    icon: <CloudUploadOutlined />,
    pending: 'section.imports',
  },
  {
    key: 'ledger',
    path: '/ledger',
    label: 'nav.ledger',
    icon: <SafetyCertificateOutlined />,
    pending: 'section.ledger',
  },
  {
    key: 'portal',
    path: '/portal',
    label: 'nav.portal',
    icon: <ShopOutlined />,
    pending: 'section.portal',
  },
];

/** The section a path belongs to: `/dealers/42` is in Dealers. */
export function sectionOf(pathname: string): Section | undefined {
  const first = pathname.split('/')[1] ?? '';
  return sections.find((s) => s.path === `/${first}`);
}
