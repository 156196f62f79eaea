/** Where the viewer fetches a slice's de-identified DICOM (served by images/images.route.ts). */
export const imageUrl = (sliceId: string): string => `/images/${sliceId}`;
