import { Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import {
  ImportUploadForm,
  statementContentType,
  type StatementEncoding,
  type StatementFormat,
} from './ImportUploadForm.tsx';

/** Upload a statement (billing:payments:write), then follow the import on its own page. */
export function NewImportPage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const client = useQueryClient();
  const upload = useMutation({
    mutationFn: async ({
      file,
      format,
      encoding,
    }: {
      file: File;
      format: StatementFormat;
      encoding: StatementEncoding;
    }) => {
      let seenBefore = false;
      const imported = await unwrap(
        api.billing
          .POST('/v1/imports', {
            params: { query: { format, fileName: file.name } },
            // The file's bytes as they are, with the charset the user chose (an XML prolog may name its own).
            body: file as unknown as string,
            bodySerializer: (raw) => raw,
            headers: { 'content-type': statementContentType(format, encoding) },
          })
          .then((answer) => {
            // 200 instead of 202: the same file was imported before, and this is that import.
            seenBefore = answer.response.status === 200;
            return answer;
          }),
      );
      return { imported, seenBefore };
    },
    onSuccess: async ({ imported, seenBefore }) => {
      await client.invalidateQueries({ queryKey: ['billing', 'imports'] });
      void navigate(`/billing/imports/${imported.id}`, { state: { seenBefore } });
    },
  });
  return (
    <BillingFrame section="import-statement">
      <Stack gap="sm">
        <Title order={3}>{t('actions.import-statement')}</Title>
        <ImportUploadForm
          onSubmit={(value) => upload.mutate(value)}
          pending={upload.isPending}
          error={upload.error}
        />
      </Stack>
    </BillingFrame>
  );
}
