// Each area that puts work on the durable queue imports its handler module here,
// so the server's single job runner knows every kind.
import '../vlm/jobs';
import '../studies/jobs';
