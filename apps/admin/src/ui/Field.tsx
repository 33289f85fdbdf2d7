import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value of a record's view (a cell of a grid of them): the label small above, the value below. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}
