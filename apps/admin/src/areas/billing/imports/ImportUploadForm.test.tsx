import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import { billingTexts } from '../texts.ts';
import { ImportUploadForm, statementContentType } from './ImportUploadForm.tsx';

const texts = { billing: billingTexts };

describe('ImportUploadForm', { timeout: 60_000 }, () => {
  it('should send the file with the encoding the user chose, and name it in the Content-Type', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ImportUploadForm onSubmit={onSubmit} />, { texts });
    const file = new File([new Uint8Array([0x4d, 0xfc])], 'kontoauszug.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText(/^Bank statement file/), file);
    await user.click(screen.getByLabelText(/^Encoding/, { selector: 'input' }));
    await user.click(await screen.findByText('Windows-1252 (Western European)'));
    await user.click(screen.getByRole('button', { name: 'Import bank statement' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const upload = onSubmit.mock.calls[0]![0];
    expect(upload).toMatchObject({ format: 'csv', encoding: 'windows-1252' });
    expect(statementContentType(upload.format, upload.encoding)).toBe('text/csv; charset=windows-1252');
    expect(statementContentType('camt053', 'declared')).toBe('application/xml');
  });
});
