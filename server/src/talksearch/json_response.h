// The API's JSON answers: the body text and its error form, shared by the
// public routes (http_api.cc) and the admin ones (admin_api.cc).
#ifndef TALKSEARCH_JSON_RESPONSE_H_
#define TALKSEARCH_JSON_RESPONSE_H_

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace talksearch {

inline constexpr const char* kJson = "application/json; charset=utf-8";

// `j` as compact text; invalid UTF-8 (never expected) replaced, not thrown.
inline std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The API's error body: {"error": {"code", "message"}}.
inline std::string ErrorBody(const std::string& code, const std::string& message) {
  return DumpJson({{"error", {{"code", code}, {"message", message}}}});
}

inline void SendError(httplib::Response& res, int status, const std::string& code,
                      const std::string& message) {
  res.status = status;
  res.set_content(ErrorBody(code, message), kJson);
}

}  // namespace talksearch

#endif  // TALKSEARCH_JSON_RESPONSE_H_
