// The error a query library call returns for input the *user* got wrong.
// The server maps it to a 4xx response; anything else is a server fault.
#ifndef TALKSEARCH_QUERY_ERROR_H_
#define TALKSEARCH_QUERY_ERROR_H_

#include <stdexcept>
#include <string>

namespace talksearch {

class QueryError : public std::runtime_error {
 public:
  // `code` is a stable machine-readable word: "bad_query", "empty_query",
  // "bad_parameter", "not_found".
  QueryError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_QUERY_ERROR_H_
