import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A table cell's text kept on one line (a date, a record's key, a contract number). */
export function NoWrap({ children, mono = false }: { children: ReactNode; mono?: boolean }) {
  return (
    <Text span size="sm" style={{ whiteSpace: 'nowrap' }} {...(mono ? { ff: 'monospace' } : {})}>
      {children}
    </Text>
  );
}
