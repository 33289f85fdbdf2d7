import { SimpleGrid, Stack, Text, Title, type SimpleGridProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState, QueryState } from '../../../ui/QueryState.tsx';
import { FinanceFrame, type FinanceSection } from '../FinanceFrame.tsx';
import { ExportCsvButton } from './ExportCsvButton.tsx';
import type { FinanceReport, ReportOf, ReportPath } from './useFinanceReport.ts';

/**
 * A finance report page: the frame with "Export CSV", the title (and an intro), the inputs, then the report —
 * loading, failed with "Try again", or a dimmed line saying what it shows above `children(data)` (the table,
 * which says itself when it has no rows). `prompt`, while an input the report needs is missing, stands in
 * for the report and disables the export.
 */
export function ReportPage<P extends ReportPath>({
  section,
  title,
  intro,
  report,
  csvName,
  filters,
  filterColumns = { base: 1, sm: 2, lg: 4 },
  prompt,
  subtitle,
  children,
}: {
  section: FinanceSection;
  title: string;
  intro?: string;
  report: FinanceReport<P>;
  /** The file's name when the API suggests none. */
  csvName: string;
  filters: ReactNode;
  filterColumns?: SimpleGridProps['cols'];
  prompt?: string;
  subtitle: (data: ReportOf<P>) => string;
  children: (data: ReportOf<P>) => ReactNode;
}) {
  return (
    <FinanceFrame
      section={section}
      actions={
        <ExportCsvButton disabled={prompt !== undefined} fallbackName={csvName} fetchCsv={report.fetchCsv} />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{title}</Title>
        {intro && (
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        )}
        <SimpleGrid cols={filterColumns} spacing="sm">
          {filters}
        </SimpleGrid>
        {prompt !== undefined ? (
          <EmptyState>{prompt}</EmptyState>
        ) : (
          // A report is never "empty" as a whole: its table shows its own empty line under the totals.
          <QueryState query={report.query} isEmpty={() => false}>
            {(data) => (
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {subtitle(data)}
                </Text>
                {children(data)}
              </Stack>
            )}
          </QueryState>
        )}
      </Stack>
    </FinanceFrame>
  );
}
