require "bundler/setup"
require "socket"
require "pqver"

line = "RUBY-E2E-OK pqver libpq #{Pqver.libpq_version} ruby #{RUBY_VERSION}"
puts line
$stdout.flush

server = TCPServer.new("0.0.0.0", 4567)
loop do
  client = server.accept
  client.gets
  body = "#{line}\n"
  client.write "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: #{body.bytesize}\r\nConnection: close\r\n\r\n#{body}"
  client.close
end
