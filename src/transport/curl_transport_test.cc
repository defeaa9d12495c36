#include "transport/curl_transport.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/child_process_for_tests.h"

namespace cordon::transport {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Received {
  std::string head;  // request line and headers
  std::string body;
};

struct Reply {
  std::string bytes;   // written as is
  bool close = false;  // close the connection after writing
  bool hang = false;   // write nothing and hold the connection until the server stops
};

// A scripted HTTP/1.1 server on 127.0.0.1 (port 0). Each connection is served on its own thread
// and may carry several requests; `handler` decides every reply. A `greeting` is written as soon
// as a connection is accepted, before any request is read. Thread-safe.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<Reply(const Received&)> handler, std::string greeting = "")
      : handler_(std::move(handler)), greeting_(std::move(greeting)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(listen(listen_fd_, 64), 0);
    socklen_t length = sizeof(address);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  LoopbackServer(LoopbackServer&&) = delete;
  LoopbackServer& operator=(LoopbackServer&&) = delete;

  ~LoopbackServer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (int fd : client_fds_) {
        shutdown(fd, SHUT_RDWR);
      }
    }
    release_.notify_all();
    shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    for (auto& worker : workers_) {
      worker.join();
    }
    close(listen_fd_);
  }

  std::string Url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int Port() const { return port_; }
  int Connections() const { return connections_.load(); }
  std::vector<Received> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    while (true) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        return;
      }
      std::lock_guard lock(mutex_);
      if (stopping_) {
        close(fd);
        return;
      }
      ++connections_;
      client_fds_.push_back(fd);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    if (!greeting_.empty()) {
      send(fd, greeting_.data(), greeting_.size(), MSG_NOSIGNAL);
    }
    std::string pending;
    while (true) {
      auto request = ReadRequest(fd, pending);
      if (!request) {
        break;
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(*request);
      }
      const Reply reply = handler_(*request);
      if (reply.hang) {
        std::unique_lock lock(mutex_);
        release_.wait(lock, [this] { return stopping_; });
        break;
      }
      size_t sent = 0;
      while (sent < reply.bytes.size()) {
        const ssize_t n =
            send(fd, reply.bytes.data() + sent, reply.bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
          break;
        }
        sent += static_cast<size_t>(n);
      }
      if (reply.close) {
        break;
      }
    }
    shutdown(fd, SHUT_RDWR);
  }

  // Reads one request (head, then a Content-Length body); nullopt when the peer closed.
  static std::optional<Received> ReadRequest(int fd, std::string& pending) {
    char buffer[4096];
    size_t head_end = std::string::npos;
    while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        return std::nullopt;
      }
      pending.append(buffer, static_cast<size_t>(n));
    }
    Received request;
    request.head = pending.substr(0, head_end);
    pending.erase(0, head_end + 4);
    size_t length = 0;
    std::string lower = request.head;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (const size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::stoul(lower.substr(at + 17));
    }
    while (pending.size() < length) {
      const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        return std::nullopt;
      }
      pending.append(buffer, static_cast<size_t>(n));
    }
    request.body = pending.substr(0, length);
    pending.erase(0, length);
    return request;
  }

  std::function<Reply(const Received&)> handler_;
  const std::string greeting_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::condition_variable release_;
  bool stopping_ = false;             // guarded by mutex_
  std::vector<int> client_fds_;       // guarded by mutex_
  std::vector<std::thread> workers_;  // guarded by mutex_
  std::vector<Received> requests_;    // guarded by mutex_
};

Reply Ok(const std::string& body, const std::string& extra_headers = "") {
  return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
              extra_headers + "\r\n" + body,
          false, false};
}

HttpRequest Post(const std::string& url, const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = body;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Probe", "1"}};
  return request;
}

TEST(CurlTransportTest, ReadsStatusHeadersAndBody) {
  LoopbackServer server([](const Received&) {
    return Reply{
        "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Amzn-RequestId: req-1\r\n"
        "X-Empty:\r\n\r\nhello",
        false, false};
  });
  auto http = MakeCurlTransport();

  auto response = http->Send(Post(server.Url("/path"), "Action=List"));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->Header("x-amzn-requestid"), "req-1");
  const auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0].head, HasSubstr("POST /path HTTP/1.1"));
  EXPECT_THAT(requests[0].head, HasSubstr("X-Probe: 1"));
  EXPECT_THAT(requests[0].head, Not(HasSubstr("Expect:")));
  EXPECT_EQ(requests[0].body, "Action=List");
}

TEST(CurlTransportTest, ReturnsErrorStatusesAsResponses) {
  LoopbackServer server([](const Received&) {
    return Reply{"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy", false, false};
  });
  auto http = MakeCurlTransport();

  auto response = http->Send(Post(server.Url(), ""));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, "busy");
}

TEST(CurlTransportTest, ReusesTheConnectionForSequentialRequests) {
  LoopbackServer server([](const Received&) { return Ok("fine"); });
  auto http = MakeCurlTransport();

  auto first = http->Send(Post(server.Url(), "a=1"));
  auto second = http->Send(Post(server.Url(), "a=2"));
  HttpRequest get;
  get.url = server.Url("/third");
  auto third = http->Send(get);

  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(server.Requests().size(), 3u);
  EXPECT_EQ(server.Connections(), 1);
}

TEST(CurlTransportTest, ConcurrentSendsAllComplete) {
  LoopbackServer server([](const Received& request) { return Ok(request.body); });
  auto http = MakeCurlTransport();
  std::atomic<int> matched{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string body = "t=" + std::to_string(t) + "&i=" + std::to_string(i);
        auto response = http->Send(Post(server.Url(), body));
        if (response && response->body == body) {
          ++matched;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(matched.load(), 40);
  EXPECT_LE(server.Connections(), 4);
}

TEST(CurlTransportTest, BodyShorterThanContentLengthIsTransient) {
  LoopbackServer server([](const Received&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<Resp", true, false};
  });
  auto http = MakeCurlTransport();

  auto response = http->Send(Post(server.Url(), "x=1"));

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(response.error().retryable);
  EXPECT_THAT(response.error().message, HasSubstr("127.0.0.1"));
}

TEST(CurlTransportTest, ConnectionRefusedIsTransientAndHidesTheQuery) {
  // A bound socket that never listens refuses connections, and keeps the port from being reused.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) +
                          "/?X-Amz-Signature=deadbeefcafe";
  auto http = MakeCurlTransport();

  HttpRequest request;
  request.url = url;
  auto response = http->Send(request);
  close(fd);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(response.error().retryable);
  EXPECT_THAT(response.error().message, HasSubstr("127.0.0.1"));
  EXPECT_THAT(response.error().message, Not(HasSubstr("deadbeefcafe")));
}

TEST(CurlTransportTest, ServerThatNeverAnswersTimesOutAsTransient) {
  LoopbackServer server([](const Received&) { return Reply{"", false, true}; });
  auto http = MakeCurlTransport();
  HttpRequest request = Post(server.Url(), "x=1");
  request.timeout = std::chrono::milliseconds(200);

  auto response = http->Send(request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(response.error().retryable);
}

TEST(CurlTransportTest, ResponseLargerThanTheLimitIsRefused) {
  LoopbackServer server([](const Received&) { return Ok(std::string(2048, 'x')); });
  CurlTransportOptions options;
  options.max_response_bytes = 1024;
  auto http = MakeCurlTransport(options);

  auto response = http->Send(Post(server.Url(), ""));

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kProvider);
  EXPECT_FALSE(response.error().retryable);
}

TEST(CurlTransportTest, MalformedUrlIsInvalidInput) {
  auto http = MakeCurlTransport();
  HttpRequest request;
  request.url = "ftp://127.0.0.1/file";

  auto response = http->Send(request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kInvalidInput);
}

// TLS against `openssl s_server` with certificates made for the test: verification of the peer
// and of the host name must both be on.
class CurlTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-tls-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Makes a self-signed certificate for `san` and serves it; returns the port.
  int Serve(const std::string& san) {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=cordon-test -addext subjectAltName=" +
        san + " -keyout " + Key() + " -out " + Cert() + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    auto started = testing::ChildProcess::Start(
        {"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", Cert(), "-key", Key(), "-www"},
        "ACCEPT");
    EXPECT_TRUE(started) << (started ? "" : started.error().message);
    if (!started) {
      return 0;
    }
    server_ = std::move(*started);
    const std::string& line = server_->ReadyLine();
    return std::stoi(line.substr(line.rfind(':') + 1));
  }

  std::string Cert() const { return (dir_ / "cert.pem").string(); }
  std::string Key() const { return (dir_ / "key.pem").string(); }

  std::filesystem::path dir_;
  std::unique_ptr<testing::ChildProcess> server_;
};

TEST_F(CurlTlsTest, TrustedCertificateForTheHostIsAccepted) {
  const int port = Serve("DNS:localhost,IP:127.0.0.1");
  CurlTransportOptions options;
  options.ca_file = Cert();
  auto http = MakeCurlTransport(options);
  HttpRequest request;
  request.url = "https://localhost:" + std::to_string(port) + "/";

  auto response = http->Send(request);

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
}

TEST_F(CurlTlsTest, UntrustedCertificateIsRejectedAsTransient) {
  const int port = Serve("DNS:localhost,IP:127.0.0.1");
  auto http = MakeCurlTransport();
  HttpRequest request;
  request.url = "https://localhost:" + std::to_string(port) + "/";

  auto response = http->Send(request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_THAT(response.error().message, HasSubstr("certificate"));
}

TEST_F(CurlTlsTest, CertificateForAnotherHostIsRejected) {
  const int port = Serve("DNS:other.test");
  CurlTransportOptions options;
  options.ca_file = Cert();
  auto http = MakeCurlTransport(options);
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(port) + "/";

  auto response = http->Send(request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_THAT(response.error().message, HasSubstr("127.0.0.1"));
}

TEST(CurlTransportTest, HttpsToAPlainServerIsTransient) {
  // Answers the TLS ClientHello with plain HTTP, as a misconfigured endpoint would.
  LoopbackServer server(
      [](const Received&) {
        return Reply{"", true, false};
      },
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  auto http = MakeCurlTransport();
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(server.Port()) + "/";

  auto response = http->Send(request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(response.error().retryable);
}

}  // namespace
}  // namespace cordon::transport
