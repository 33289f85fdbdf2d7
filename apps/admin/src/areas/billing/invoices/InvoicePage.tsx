import { Anchor, Button, Group, Modal, Stack, Tabs } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { HistoryTab } from '../../../ui/HistoryTab.tsx';
import { QueryState } from '../../../ui/QueryState.tsx';
import { BillingFrame } from '../BillingFrame.tsx';
import { formatMoneyValue } from '../../../i18n/format.ts';
import type { CreditNoteRequest, InvoiceDetail as InvoiceDetailData } from '../common/types.ts';
import { useIdempotencyKey } from '../common/useIdempotencyKey.ts';
import { CreditNoteForm } from '../credit-notes/CreditNoteForm.tsx';
import { CreditNoteView } from '../credit-notes/CreditNoteView.tsx';
import { InvoiceDetail } from './InvoiceDetail.tsx';

/** One invoice, with its history when the user may read the audit trail. */
export function InvoicePage() {
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  const { can } = useSession();
  const client = useQueryClient();
  const keyFor = useIdempotencyKey();
  const [crediting, setCrediting] = useState(false);
  const [shownNote, setShownNote] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['billing', 'invoice', id],
    queryFn: () => unwrap(api.billing.GET('/v1/invoices/{id}', { params: { path: { id } } })),
  });
  const credit = useMutation({
    mutationFn: (body: CreditNoteRequest) =>
      unwrap(
        api.billing.POST('/v1/invoices/{id}/credit-notes', {
          params: { path: { id } },
          body,
          headers: { 'Idempotency-Key': keyFor(body) },
        }),
      ),
    onSuccess: async (note) => {
      setCrediting(false);
      await client.invalidateQueries({ queryKey: ['billing'] });
      notifications.show({
        color: 'green',
        message: t('creditNote.issued', { number: note.number, total: formatMoneyValue(note.total) }),
      });
    },
  });
  const creditable = (status: string) =>
    can('billing:credit-notes:write') && ['issued', 'partially-paid', 'paid'].includes(status);
  const detail = (invoice: InvoiceDetailData) => (
    <Stack gap="md">
      {creditable(invoice.status) && (
        <Group justify="flex-end">
          <Button
            variant="light"
            color="orange"
            onClick={() => {
              credit.reset();
              setCrediting(true);
            }}
          >
            {t('creditNote.open')}
          </Button>
        </Group>
      )}
      <InvoiceDetail invoice={invoice} onOpenCreditNote={setShownNote} />
      <Modal
        opened={crediting}
        onClose={() => setCrediting(false)}
        title={t('creditNote.title', { number: invoice.number ?? '' })}
        size="lg"
      >
        <CreditNoteForm
          lines={invoice.lines}
          onSubmit={(body) => credit.mutate(body)}
          pending={credit.isPending}
          error={credit.error}
          submittedPositions={credit.variables?.lines?.map((line) => line.position) ?? []}
        />
      </Modal>
      <Modal
        opened={shownNote !== null}
        onClose={() => setShownNote(null)}
        title={t('creditNote.viewTitle')}
        size="lg"
      >
        {shownNote && <CreditNoteView id={shownNote} />}
      </Modal>
    </Stack>
  );
  return (
    <BillingFrame section="invoices">
      <Anchor component={Link} to="/billing" size="sm">
        {t('invoices.back')}
      </Anchor>
      <QueryState query={query} isEmpty={() => false}>
        {(invoice) =>
          can('audit:records:read') ? (
            <Tabs defaultValue="invoice" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="invoice">{t('invoice.tab')}</Tabs.Tab>
                <Tabs.Tab value="history">{t('common:history.title')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="invoice" pt="md">
                {detail(invoice)}
              </Tabs.Panel>
              <Tabs.Panel value="history" pt="md">
                <HistoryTab entityType="invoice" entityId={invoice.id} />
              </Tabs.Panel>
            </Tabs>
          ) : (
            detail(invoice)
          )
        }
      </QueryState>
    </BillingFrame>
  );
}
