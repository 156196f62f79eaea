import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SessionProvider } from '../lib/session';
import { QueryProvider } from '../lib/query-provider';
import { Nav } from '../components/Nav';
import './globals.css';

export const metadata: Metadata = { title: 'Concord', description: 'Cervical-spine MRI labeling' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>
          <SessionProvider>
            <Nav />
            <main>{children}</main>
          </SessionProvider>
        </QueryProvider>
      </body>
    </html>
  );
}
