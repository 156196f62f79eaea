'use client';
/** The two ways a batch starts from the browser: an upload of files or a zip, and a DICOMweb pull. */
import { useState, type FormEvent } from 'react';
import { describeError, gql } from '../../lib/graphql';
import { INGEST_DICOMWEB } from '../../lib/queries';
import type { Err } from './errors';

type Props = { projectId: string; onStarted: (batchId: string) => void; setError: (e: Err) => void };

export function IngestForms({ projectId, onStarted, setError }: Props) {
  const [uploading, setUploading] = useState(false);

  async function run(work: () => Promise<void>) {
    setUploading(true);
    setError(null);
    try {
      await work();
    } finally {
      setUploading(false);
    }
  }

  function pullDicomweb(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const url = (form.elements.namedItem('dicomwebUrl') as HTMLInputElement).value.trim();
    const studyUid = (form.elements.namedItem('studyUid') as HTMLInputElement).value.trim();
    if (!url) return;
    void run(async () => {
      try {
        const d = await gql(INGEST_DICOMWEB, { projectId, url, studyUid: studyUid || null });
        onStarted(d.ingestDicomweb.id);
      } catch (err) {
        setError(describeError(err));
      }
    });
  }

  function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('files') as HTMLInputElement;
    if (!input.files?.length) return;
    const body = new FormData();
    for (const f of Array.from(input.files)) body.append('files', f, f.name);
    void run(async () => {
      const outcome = await postUpload(projectId, body);
      if ('batchId' in outcome) {
        input.value = '';
        onStarted(outcome.batchId);
      } else setError(outcome);
    });
  }

  return (
    <>
      <form onSubmit={upload} className="row" style={{ justifyContent: 'flex-start' }}>
        <label>
          DICOM files or a .zip <input type="file" name="files" multiple accept=".dcm,.zip,application/dicom,application/zip" />
        </label>
        <button type="submit" className="primary" disabled={uploading}>
          {uploading ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      <form onSubmit={pullDicomweb} className="row" style={{ justifyContent: 'flex-start' }}>
        <label>
          or pull from DICOMweb <input type="url" name="dicomwebUrl" placeholder="http://pacs:8042/dicom-web" size={32} />
        </label>
        <label>
          Study UID (optional) <input type="text" name="studyUid" size={24} />
        </label>
        <button type="submit" disabled={uploading}>
          {uploading ? 'Working…' : 'Pull'}
        </button>
      </form>
    </>
  );
}

/** POST /upload: the new batch's id, or the error to show (the route's code, else the HTTP status). */
async function postUpload(projectId: string, body: FormData): Promise<{ batchId: string } | { code: string; message: string }> {
  try {
    const res = await fetch(`/upload?projectId=${encodeURIComponent(projectId)}`, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-concord-request': '1' },
    });
    const json = (await res.json().catch(() => ({}))) as { batchId?: string; error?: { code?: string; message?: string }; code?: string; message?: string };
    if (res.ok && json.batchId) return { batchId: json.batchId };
    return {
      code: json.error?.code ?? json.code ?? `HTTP_${res.status}`,
      message: json.error?.message ?? json.message ?? 'The upload was not accepted.',
    };
  } catch {
    return { code: 'NETWORK', message: 'The upload did not reach the server. Check your connection and try again.' };
  }
}
