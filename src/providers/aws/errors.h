// The one place AWS error responses become cordon errors.
#pragma once

#include <string_view>

#include "core/result.h"

namespace cordon::aws {

// Maps a non-2xx AWS response to an Error. Reads the Query-protocol shape
// (<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>), the EC2 shape
// (<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>), the S3
// shape (<Error><Code/><Message/><RequestId/></Error>), mixtures of these (moto sends
// <ErrorResponse><Errors><Error>) and the JSON shape ({"__type", "message"}).
//
// Keeps provider_code, request_id (from the body, else `request_id_header`) and http_status, and
// sets kind and retryable from the code, falling back to the status:
//   throttling codes and 429            -> kThrottled, retryable
//   *.NotFound, NoSuchEntity, ...       -> kNotFound
//   AuthFailure, SignatureDoesNotMatch, ExpiredToken, ..., 401 -> kAuth
//   AccessDenied, UnauthorizedOperation, ..., 403             -> kPermission
//   *AlreadyExists, *.Duplicate, ConcurrentModification, IncorrectState, DeleteConflict,
//   DependencyViolation, ..., 409                              -> kConflict
//   InternalError, ServiceUnavailable, ..., any 5xx            -> kTransient, retryable
//   anything else                                              -> kProvider
// A body that cannot be read gets a code named after the status ("ServiceUnavailable",
// "Forbidden", "Http418"). The message is the provider's <Message>. Pure; thread-safe.
Error MapAwsError(int http_status, std::string_view body, std::string_view request_id_header);

// As above, for protocols that may name the error in an x-amzn-ErrorType header: REST-JSON
// services (Lambda) often send the code only there, with a body of {"Type","Message"}. A
// non-empty `error_type_header` ("Code" or "Code:http://...") gives the code, over any code in
// the body; the message still comes from the body. Pure; thread-safe.
Error MapAwsError(int http_status, std::string_view body, std::string_view request_id_header,
                  std::string_view error_type_header);

}  // namespace cordon::aws
