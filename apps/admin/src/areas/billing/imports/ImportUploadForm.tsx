import { Button, Group, Input, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import { CLOSED_LIST } from '../common/values.ts';

export type StatementFormat = 'csv' | 'camt053';

/** The format of a statement file: chosen, or by its name (`.xml` is camt.053, anything else CSV). */
export function statementFormat(fileName: string, chosen: StatementFormat | 'auto'): StatementFormat {
  if (chosen !== 'auto') return chosen;
  return /\.xml$/i.test(fileName) ? 'camt053' : 'csv';
}

export interface ImportUploadFormProps {
  onSubmit: (upload: { file: File; format: StatementFormat }) => void;
  pending?: boolean;
  error?: unknown;
}

/** Choose a bank statement (CSV or camt.053) and send it; the import then runs in the background. */
export function ImportUploadForm({ onSubmit, pending, error }: ImportUploadFormProps) {
  const { t } = useTranslation('billing');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<StatementFormat | 'auto'>('auto');
  const [invalid, setInvalid] = useState<string | null>(null);
  const { fieldErrors, other } = splitFieldErrors(error, {});
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!file) return setInvalid(t('import.fileRequired'));
        setInvalid(null);
        onSubmit({ file, format: statementFormat(file.name, format) });
      }}
    >
      <Stack gap="md" maw={700}>
        <Text size="sm" c="dimmed">
          {t('import.intro')}
        </Text>
        <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <Input.Wrapper
          id="bank-statement-file"
          label={t('import.file')}
          description={t('import.fileHelp')}
          error={invalid}
          required
        >
          <Input
            component="input"
            type="file"
            id="bank-statement-file"
            accept=".csv,.txt,.xml,text/csv,application/xml,text/xml"
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setInvalid(null);
            }}
            error={invalid !== null}
            pt={6}
          />
        </Input.Wrapper>
        <Select
          comboboxProps={CLOSED_LIST}
          label={t('import.format')}
          value={format}
          onChange={(value) => setFormat((value as StatementFormat | 'auto' | null) ?? 'auto')}
          data={[
            { value: 'auto', label: t('import.formatAuto') },
            { value: 'csv', label: t('import.formatCsv') },
            { value: 'camt053', label: t('import.formatCamt') },
          ]}
          allowDeselect={false}
        />
        <Group>
          <Button type="submit" loading={pending}>
            {t('actions.import-statement')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
