/** Package upload: stream a request body to a temp file (raw or multipart), with a size limit. */
export type { ReceivedUpload, ReceiveUploadOptions, UploadRequest } from './types';
export { receiveUpload, removeUpload } from './receive-upload';
export { removeStaleTempFiles } from './temp-file';
