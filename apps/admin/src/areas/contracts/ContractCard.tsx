import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { shortId } from '../../ui/ids.ts';
import { formatDate, formatDateTime, formatDecimal, formatMoneyValue } from '../../i18n/format.ts';
import { Facts } from '../../ui/Facts.tsx';
import { ContractStatusBadge } from './StatusBadge.tsx';
import type { Contract, ContractCardData, PartStatus } from './types.ts';

export interface ContractCardProps {
  /** The gateway's composed read: each part, or null with the reason. */
  card: ContractCardData;
  /** The contract shown: the card's, or — when the card could not get it — one read from leasing directly. */
  contract: Contract;
  /** The status actions, placed under the heading. */
  actions?: ReactNode;
  /** Reads the card again (offered while a part is missing for a reason another try may change). */
  onReload?: () => void;
  reloading?: boolean;
}

/**
 * The head of the contract card: the contract's terms, its party, asset and schedule summary. A part the
 * gateway could not get is shown as missing with its reason; a name that is only the last known one is
 * marked stale — never shown as if it were current.
 */
export function ContractCard({ card, contract, actions, onReload, reloading }: ContractCardProps) {
  const { t } = useTranslation('contracts');
  const percent = (value: string) => `${formatDecimal(value)} %`;
  // A refusal or a missing object stays so on another try; a slow or stopped service may answer now.
  const retryable = Object.values(card.parts).some((part) => part.status === 'unavailable');
  return (
    <Stack gap="md">
      <Group gap="sm" wrap="wrap" align="center">
        <Title order={2}>{t('card.title', { number: contract.number })}</Title>
        <ContractStatusBadge status={contract.status} />
      </Group>
      {card.parts.contract.status !== 'ok' && (
        <Alert color="yellow" title={missingTitle(t, 'contract', card.parts.contract)}>
          {t('card.contractFromLeasing')}
        </Alert>
      )}
      {retryable && onReload && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('card.partsMissing')}
          </Text>
          <Button size="xs" variant="default" onClick={onReload} loading={reloading}>
            {t('card.reload')}
          </Button>
        </Group>
      )}
      {actions}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('card.terms')}
          </Title>
          <Facts
            items={[
              [t('fields.assetPrice'), formatMoneyValue(contract.assetPrice)],
              [t('fields.advance'), formatMoneyValue(contract.advance)],
              [t('fields.financedAmount'), formatMoneyValue(contract.financedAmount)],
              [t('fields.residualValue'), formatMoneyValue(contract.residualValue)],
              [t('fields.termMonths'), t('card.months', { count: contract.termMonths })],
              [t('fields.annualRate'), percent(contract.annualRate)],
              [t('fields.vatRate'), percent(contract.vatRate)],
              [t('fields.penaltyRate'), t('card.perDay', { rate: percent(contract.penaltyRate) })],
              [t('fields.startDate'), formatDate(contract.startDate)],
              [
                t('fields.scheduleType'),
                t(`scheduleTypes.${contract.scheduleType}`, { defaultValue: contract.scheduleType }),
              ],
              [t('fields.scheduleVersion'), String(contract.scheduleVersion)],
              [t('fields.paymentReference'), contract.paymentReference],
              [t('fields.legalEntity'), contract.legalEntity],
              [
                t('fields.createdAt'),
                `${formatDateTime(contract.createdAt)} · ${contract.createdByName ?? shortId(contract.createdBy)}`,
              ],
              ...(contract.approvedAt
                ? [
                    [
                      t('fields.approvedAt'),
                      `${formatDateTime(contract.approvedAt)} · ${contract.approvedByName ?? (contract.approvedBy ? shortId(contract.approvedBy) : '')}`,
                    ] as [string, ReactNode],
                  ]
                : []),
              ...(contract.statusReason
                ? [[t('fields.statusReason'), contract.statusReason] as [string, ReactNode]]
                : []),
            ]}
          />
        </Paper>
        <Stack gap="md">
          <Paper withBorder p="md">
            <Title order={3} size="h4" mb="xs">
              {t('card.parts.party')}
            </Title>
            {card.party && card.parts.party.status === 'ok' ? (
              <Facts
                items={[
                  [
                    t('fields.name'),
                    <Anchor component={Link} to={`/parties/${card.party.id}`} size="sm">
                      {card.party.name}
                    </Anchor>,
                  ],
                  [t('fields.country'), card.party.country],
                  [t('fields.taxId'), card.party.taxId ?? '—'],
                  [t('fields.kycStatus'), t(`kyc.${card.party.kycStatus}`)],
                  [t('fields.email'), card.party.email ?? '—'],
                ]}
              />
            ) : (
              <MissingPart part="party" status={card.parts.party} storedName={contract.party} />
            )}
          </Paper>
          <Paper withBorder p="md">
            <Title order={3} size="h4" mb="xs">
              {t('card.parts.asset')}
            </Title>
            {card.asset && card.parts.asset.status === 'ok' ? (
              <Facts
                items={[
                  [
                    t('fields.name'),
                    <Anchor component={Link} to={`/assets/${card.asset.id}`} size="sm">
                      {`${card.asset.make} ${card.asset.model}`}
                    </Anchor>,
                  ],
                  [t('fields.identification'), card.asset.vin ?? card.asset.serialNumber ?? '—'],
                  [t('fields.year'), String(card.asset.year)],
                  [t('fields.price'), formatMoneyValue(card.asset.price)],
                  [
                    t('fields.assetStatus'),
                    // The asset's statuses are the assets area's words.
                    t(`assets:status.${card.asset.status}`, { defaultValue: card.asset.status }),
                  ],
                ]}
              />
            ) : (
              <MissingPart part="asset" status={card.parts.asset} storedName={contract.asset} />
            )}
          </Paper>
        </Stack>
      </SimpleGrid>
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('card.parts.schedule')}
        </Title>
        {card.schedule && card.parts.schedule.status === 'ok' ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Facts
              items={[
                [t('fields.installments'), String(card.schedule.installments)],
                [t('fields.firstDueDate'), formatDate(card.schedule.firstDueDate)],
                [t('fields.lastDueDate'), formatDate(card.schedule.lastDueDate)],
                [
                  t('fields.nextInstallment'),
                  card.schedule.nextInstallment
                    ? t('card.nextInstallment', {
                        n: card.schedule.nextInstallment.n,
                        date: formatDate(card.schedule.nextInstallment.dueDate),
                        payment: formatMoneyValue(card.schedule.nextInstallment.payment),
                        vat: formatMoneyValue(card.schedule.nextInstallment.vat),
                      })
                    : '—',
                ],
                [t('fields.effectiveRate'), percent(card.schedule.effectiveRate)],
              ]}
            />
            <Facts
              items={[
                [t('fields.totalPayments'), formatMoneyValue(card.schedule.totals.paymentsWithVat)],
                [t('fields.totalInterest'), formatMoneyValue(card.schedule.totals.interest)],
                [t('fields.totalFees'), formatMoneyValue(card.schedule.totals.fees)],
                [t('fields.totalCost'), formatMoneyValue(card.schedule.totals.totalCost)],
              ]}
            />
          </SimpleGrid>
        ) : (
          <MissingPart part="schedule" status={card.parts.schedule} />
        )}
      </Paper>
    </Stack>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

function missingTitle(t: Translate, part: 'contract' | 'party' | 'asset' | 'schedule', status: PartStatus) {
  return t(`card.missing.${status.status === 'ok' ? 'unavailable' : status.status}`, {
    part: t(`card.parts.${part}`),
    reason: status.reason ?? t('card.noReason'),
  });
}

/**
 * A part the card could not get: why (the gateway's reason), and the name kept on the contract — marked
 * stale, since it is only the last name leasing knew.
 */
function MissingPart({
  part,
  status,
  storedName,
}: {
  part: 'party' | 'asset' | 'schedule';
  status: PartStatus;
  storedName?: Contract['party'];
}) {
  const { t } = useTranslation('contracts');
  return (
    <Stack gap="xs">
      <Alert color="yellow" title={missingTitle(t, part, status)} data-part={part} />
      {storedName && <NameWithFreshness name={storedName} />}
    </Stack>
  );
}

/** A party's or asset's name as leasing gives it; a stale one carries a "stale" badge and why. */
export function NameWithFreshness({ name }: { name: Contract['party'] }) {
  const { t } = useTranslation('contracts');
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm">{name.name}</Text>
      {name.stale && (
        <>
          <Badge color="yellow" variant="outline" size="sm">
            {t('card.stale')}
          </Badge>
          <Text size="xs" c="dimmed">
            {name.reason ?? t('card.staleHint')}
          </Text>
        </>
      )}
    </Group>
  );
}
