import type {
  ImportBatchDetail,
  ImportBatchPage,
  ImportIssue,
  ImportKind,
  ImportMappingInput,
  ImportPreview,
  ImportResult,
  SavedImportMapping,
  SavedImportMappingList,
} from '@tierline/contract';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  apiUrl,
  getJson,
  sendFile,
  sendJson,
  sendJsonForFile,
  type QueryParams,
} from '../api/client';
import type { Locale } from '../i18n/messages';

/** Every kind of data an import takes, in the order of the server's templates. */
export const importKinds: readonly ImportKind[] = [
  'dealers',
  'regions',
  'products',
  'outlets',
  'order_lines',
  'invoices',
  'payments',
  'targets',
  'inventory',
  'visits',
  'complaints',
  'compliance_events',
  'campaigns',
  'campaign_executions',
  'custom_measures',
];

/** How to read the file: a saved mapping and overrides of what the server detects. */
export interface FileOptions {
  mapping: string | undefined;
  encoding: string | undefined;
  delimiter: ',' | 'tab' | '|' | ';' | undefined;
  header: boolean | undefined;
}

export const noFileOptions: FileOptions = {
  mapping: undefined,
  encoding: undefined,
  delimiter: undefined,
  header: undefined,
};

/** The chosen file with a number that changes whenever another file is chosen. */
export interface ChosenFile {
  serial: number;
  file: File;
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content type the upload is sent with; the server reads the format from the bytes. */
export function contentTypeOf(file: File): string {
  return /\.xlsx$/i.test(file.name) ? xlsxType : 'text/csv';
}

/** Query parameters of an upload or preview. */
export function fileParams(file: File, options: FileOptions): QueryParams {
  return {
    fileName: file.name,
    mapping: options.mapping,
    encoding: options.encoding,
    delimiter: options.delimiter,
    header: options.header === undefined ? undefined : String(options.header),
  };
}

export function templateUrl(kind: ImportKind): string {
  return `/api/v1/imports/templates/${kind}`;
}

/** A batch's issue report, its header and reasons in `lang` (the console's language). */
export function batchReportUrl(id: number, format: 'csv' | 'xlsx', lang: Locale): string {
  return apiUrl(`/api/v1/imports/${id}/report`, { format, lang });
}

export function useSavedMappings() {
  return useQuery({
    queryKey: ['import-mappings'],
    queryFn: ({ signal }) =>
      getJson<SavedImportMappingList>('/api/v1/import-mappings', undefined, signal),
  });
}

function mappingPath(name: string): string {
  return `/api/v1/import-mappings/${encodeURIComponent(name)}`;
}

/** The saved mappings changed: their list, and previews that read a file with one, are stale. */
function mappingsChanged(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['import-mappings'] }),
    queryClient.invalidateQueries({ queryKey: ['import-preview'] }),
  ]);
}

/** Save a mapping under a name (creating or replacing it). */
export function useSaveMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, mapping }: { name: string; mapping: ImportMappingInput }) =>
      sendJson<SavedImportMapping>('PUT', mappingPath(name), mapping),
    onSuccess: () => mappingsChanged(queryClient),
  });
}

export function useDeleteMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => sendJson('DELETE', mappingPath(name)),
    onSuccess: () => mappingsChanged(queryClient),
  });
}

export type KindField = Pick<
  ImportPreview['fields'][number],
  'field' | 'zh' | 'note' | 'noteZh' | 'type' | 'required'
>;

/**
 * The fields of a kind (name, Chinese header, type, required), for the mapping editor when no
 * file is chosen: the preview lists them for any file, so it is asked for one of a single
 * header cell that matches nothing. They never change while the console runs.
 */
export function useKindFields(kind: ImportKind) {
  return useQuery({
    queryKey: ['import-kind-fields', kind],
    queryFn: async ({ signal }): Promise<KindField[]> => {
      const preview = await sendFile<ImportPreview>(
        `/api/v1/imports/${kind}/preview`,
        new Blob(['-\n']),
        'text/csv',
        { fileName: 'fields.csv' },
        signal,
      );
      return preview.fields.map(({ field, zh, note, noteZh, type, required }) => ({
        field,
        zh,
        note,
        noteZh,
        type,
        required,
      }));
    },
    staleTime: Infinity,
    retry: false,
  });
}

/** The preview of a file read with an unsaved mapping (sent as `mappingJson`). */
export function usePreviewWithMapping() {
  return useMutation({
    mutationFn: ({ file, mapping }: { file: File; mapping: ImportMappingInput }) =>
      sendFile<ImportPreview>(
        `/api/v1/imports/${mapping.kind}/preview`,
        file,
        contentTypeOf(file),
        { fileName: file.name, mappingJson: JSON.stringify(mapping) },
      ),
  });
}

/**
 * The preview of the chosen file as the kind and options would read it; it writes nothing,
 * so it is a query, asked again whenever the file, the kind or an option changes.
 */
export function usePreview(kind: ImportKind, chosen: ChosenFile | null, options: FileOptions) {
  return useQuery({
    queryKey: ['import-preview', kind, chosen?.serial ?? 0, options],
    queryFn: ({ signal }) =>
      sendFile<ImportPreview>(
        `/api/v1/imports/${kind}/preview`,
        chosen!.file,
        contentTypeOf(chosen!.file),
        fileParams(chosen!.file, options),
        signal,
      ),
    enabled: chosen !== null,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export interface RunInput {
  kind: ImportKind;
  file: File;
  options: FileOptions;
  dryRun: boolean;
  acceptValid: boolean;
}

/** A dry run or an import of the chosen file; an import refreshes the history. */
export function useRunImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RunInput) =>
      sendFile<ImportResult>(
        `/api/v1/imports/${input.kind}`,
        input.file,
        contentTypeOf(input.file),
        {
          ...fileParams(input.file, input.options),
          dryRun: input.dryRun ? 'true' : undefined,
          acceptValid: input.acceptValid ? 'true' : undefined,
        },
      ),
    onSuccess: (result) =>
      result.batchId === null
        ? undefined
        : queryClient.invalidateQueries({ queryKey: ['import-batches'] }),
  });
}

const historyPage = 20;

export function useImportBatches() {
  return useInfiniteQuery({
    queryKey: ['import-batches'],
    queryFn: ({ pageParam, signal }) =>
      getJson<ImportBatchPage>(
        '/api/v1/imports',
        { limit: historyPage, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useImportBatch(id: number | null) {
  return useQuery({
    queryKey: ['import-batches', 'detail', id],
    queryFn: ({ signal }) => getJson<ImportBatchDetail>(`/api/v1/imports/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

/** Save a file in the browser under `name`. */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Download the issues of a dry run (which records no batch) as a CSV or XLSX report, its
 * header and reasons in `lang` (the console's language).
 */
export async function downloadIssues(
  fileName: string,
  issues: readonly ImportIssue[],
  format: 'csv' | 'xlsx',
  lang: Locale,
): Promise<void> {
  const blob = await sendJsonForFile(
    '/api/v1/imports/report',
    { fileName, issues },
    { format, lang },
  );
  saveBlob(blob, `${fileName.replace(/\.[^.]*$/, '') || 'import'}-issues.${format}`);
}
