import { Button, Group, Input, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import { CLOSED_LIST } from '../common/values.ts';

export type StatementFormat = 'csv' | 'camt053';
/** The charset sent with the file; `declared` sends none (UTF-8, or what a camt.053 file's XML declaration says). */
export type StatementEncoding = 'declared' | 'windows-1252' | 'iso-8859-15';

/** The Content-Type an upload is sent with. */
export function statementContentType(format: StatementFormat, encoding: StatementEncoding): string {
  const type = format === 'csv' ? 'text/csv' : 'application/xml';
  return encoding === 'declared' ? type : `${type}; charset=${encoding}`;
}

/** The format of a statement file: chosen, or by its name (`.xml` is camt.053, anything else CSV). */
export function statementFormat(fileName: string, chosen: StatementFormat | 'auto'): StatementFormat {
  if (chosen !== 'auto') return chosen;
  return /\.xml$/i.test(fileName) ? 'camt053' : 'csv';
}

export interface ImportUploadFormProps {
  onSubmit: (upload: { file: File; format: StatementFormat; encoding: StatementEncoding }) => void;
  pending?: boolean;
  error?: unknown;
}

/** Choose a bank statement (CSV or camt.053) and send it; the import then runs in the background. */
export function ImportUploadForm({ onSubmit, pending, error }: ImportUploadFormProps) {
  const { t } = useTranslation('billing');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<StatementFormat | 'auto'>('auto');
  const [encoding, setEncoding] = useState<StatementEncoding>('declared');
  const [invalid, setInvalid] = useState<string | null>(null);
  const { fieldErrors, other } = splitFieldErrors(error, {});
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!file) return setInvalid(t('import.fileRequired'));
        setInvalid(null);
        onSubmit({ file, format: statementFormat(file.name, format), encoding });
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
        <Select
          comboboxProps={CLOSED_LIST}
          label={t('import.encoding')}
          description={t('import.encodingHelp')}
          value={encoding}
          onChange={(value) => setEncoding((value as StatementEncoding | null) ?? 'declared')}
          data={[
            { value: 'declared', label: t('import.encodingDeclared') },
            { value: 'windows-1252', label: t('import.encodingWindows1252') },
            { value: 'iso-8859-15', label: t('import.encodingLatin9') },
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
