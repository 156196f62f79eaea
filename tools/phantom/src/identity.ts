import type { Prng } from './prng.js';

/**
 * Fake but realistic identifying attributes: exactly what de-identification must later remove.
 * Names are invented; any resemblance to a real person is chance.
 */
export interface PatientIdentity {
  patientKey: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  sex: 'F' | 'M';
  age: string;
  studyDate: string;
  studyTime: string;
  institutionName: string;
  accessionNumber: string;
  referringPhysician: string;
  studyId: string;
}

const FAMILY = [
  'HARROW',
  'QUILLON',
  'VESTBERG',
  'ODUYA',
  'MARCHETTI',
  'LINDQVIST',
  'TAKAHARA',
  'BRENNAN',
  'OKAFOR',
  'DUVALIER',
  'KOWALCZYK',
  'PEMBERTON',
  'SANTORO',
  'ABERNATHY',
  'NAKASHIMA',
  'FERREIRA',
];
const GIVEN_F = ['AGATHA', 'MIRIAM', 'ELENI', 'JUDITH', 'ROSALIND', 'INGRID', 'NKECHI', 'SOPHIE', 'LUCIA', 'HANNAH'];
const GIVEN_M = ['BARNABY', 'TOMAS', 'IGNATIUS', 'OLUSEGUN', 'PIETRO', 'ANDERS', 'KENJI', 'DECLAN', 'RAFAEL', 'WALTER'];
const INSTITUTIONS = ['ST ELSEWHERE SPINE CENTRE', 'NORTHGATE UNIVERSITY HOSPITAL', 'RIVERSIDE IMAGING INSTITUTE', 'MERIDIAN NEUROSCIENCES'];
const PHYSICIANS = ['MORROW^CELIA^^DR', 'ASHFORD^NIGEL^^DR', 'VANCE^IMOGEN^^DR'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function patientKeyFor(index: number): string {
  return `P${pad(index + 1, 4)}`;
}

export function patientIdFor(index: number): string {
  return `PHANTOM-${pad(index + 1, 4)}`;
}

export function sampleIdentity(rng: Prng, index: number): PatientIdentity {
  const sex = rng.chance(0.4) ? 'F' : 'M';
  const studyYear = rng.int(2015, 2022);
  const studyMonth = rng.int(1, 12);
  const studyDay = rng.int(1, 28);
  // DCM is a disease of middle and older age; controls were age-matched.
  const age = rng.int(38, 82);
  const birthMonth = rng.int(1, 12);
  const birthDay = rng.int(1, 28);
  const birthYear = studyYear - age - (birthMonth * 100 + birthDay > studyMonth * 100 + studyDay ? 1 : 0);
  return {
    patientKey: patientKeyFor(index),
    patientId: patientIdFor(index),
    patientName: `${rng.pick(FAMILY)}^${rng.pick(sex === 'F' ? GIVEN_F : GIVEN_M)}`,
    birthDate: `${birthYear}${pad(birthMonth, 2)}${pad(birthDay, 2)}`,
    sex,
    age: `${pad(age, 3)}Y`,
    studyDate: `${studyYear}${pad(studyMonth, 2)}${pad(studyDay, 2)}`,
    studyTime: `${pad(rng.int(7, 19), 2)}${pad(rng.int(0, 59), 2)}${pad(rng.int(0, 59), 2)}`,
    institutionName: rng.pick(INSTITUTIONS),
    accessionNumber: `A${pad(rng.int(0, 99_999_999), 8)}`,
    referringPhysician: rng.pick(PHYSICIANS),
    studyId: String(rng.int(1000, 99999)),
  };
}
