/**
 * dcmjs' SR content-item classes (`dcmjs.sr`), typed once: dcmjs ships no declarations. Each
 * class validates its options and yields the naturalised attributes of one content item; children
 * go in `ContentSequence`.
 */
import { createRequire } from 'node:module';
import '@concord/dicom'; // silences dcmjs' console logger before anything else loads it

export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}
export interface ContentItem {
  ContentSequence?: ContentItem[];
  [attribute: string]: unknown;
}

type Relationship = 'CONTAINS' | 'HAS PROPERTIES' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'INFERRED FROM' | 'SELECTED FROM' | 'HAS ACQ CONTEXT';
interface Named {
  name: CodedConcept;
  relationshipType?: Relationship;
}

interface DcmjsSr {
  coding: { CodedConcept: new (o: { value: string; schemeDesignator: string; meaning: string }) => CodedConcept };
  valueTypes: {
    ContainerContentItem: new (o: Named & { isContentContinuous?: true }) => ContentItem;
    CodeContentItem: new (o: Named & { value: CodedConcept }) => ContentItem;
    TextContentItem: new (o: Named & { value: string }) => ContentItem;
    UIDRefContentItem: new (o: Named & { value: string }) => ContentItem;
    NumContentItem: new (o: Named & { value: number; unit: CodedConcept }) => ContentItem;
    ImageContentItem: new (o: Named & { referencedSOPClassUID: string; referencedSOPInstanceUID: string }) => ContentItem;
  };
}

export const dcmjsSr = (createRequire(import.meta.url)('dcmjs') as { sr: DcmjsSr }).sr;
export type { Relationship };
