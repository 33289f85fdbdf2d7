import { Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value of a card. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/**
 * A small table of a card, its caption on top as the section's title; with no rows, only the title and the
 * empty text (a head over nothing says nothing).
 */
export function SmallTable({
  caption,
  head,
  rows,
  empty,
  alignRight = [],
}: {
  caption: string;
  head: string[];
  rows: ReactNode[][];
  empty: string;
  alignRight?: number[];
}) {
  if (rows.length === 0) {
    return (
      <Stack gap={2}>
        <Text size="sm" fw={600}>
          {caption}
        </Text>
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped verticalSpacing={4} captionSide="top">
        <Table.Caption style={{ textAlign: 'left', fontWeight: 600, color: 'inherit', marginTop: 0 }}>
          {caption}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {head.map((title, index) => (
              <Table.Th key={title} ta={alignRight.includes(index) ? 'right' : undefined}>
                {title}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((cells, row) => (
            <Table.Tr key={row}>
              {cells.map((cell, index) => (
                <Table.Td key={index} ta={alignRight.includes(index) ? 'right' : undefined}>
                  {cell}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
