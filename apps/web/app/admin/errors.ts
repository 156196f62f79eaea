/** An error as the admin panels show it: the API's code and its message. */
export type Err = { code: string; message: string } | null;
