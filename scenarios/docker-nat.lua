-- docker-nat.lua: a container on Docker's NAT network (lua/docker/nat.lua)
-- on every Windows version: it reaches the internet as the host (WinNAT),
-- and a published port takes the internet's connection to it
-- (hns-api-facts.md §6: "Port forwarding host->container supported"); once
-- the container is removed the port answers no more. After a reboot, NAT
-- networks come back on WS2016 but not from WS2019 on (§6: "NAT networks on
-- WS2019+ are not persisted across reboot"), and the daemon makes it again.
local cloud = require("seed.cloud")
local docker = require("docker.nat")

scenario{
  name = "docker-nat",
  description = "Docker's NAT network: outbound through WinNAT, a published port inbound, the network after a reboot",
  profiles = {"ws2016", "ws2019", "ws2022"},
}

cloud.lay()
local node1 = cloud.windows_node(1)
local d = docker.daemon(node1)

local ip = d:run("web-app", {{host = 8080, container = 80}})
expect.truthy(ip and ip:match("^172%.16%.0%.%d+$"), "the container's address comes from the NAT prefix 172.16.0.0/16")

-- Out: the internet sees the host.
local _, out = expect.reach{from = "node1/web-app_nat", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.4:49152 -> 203.0.113.10:443", "the internet sees node1's address")
-- In: host port 8080 is the container's 80; another port is the host's own.
local _, inb = expect.reach{from = "web", to = "node1", proto = "tcp", port = 8080}
expect.equal(inb.received, "tcp 203.0.113.10:49152 -> " .. ip .. ":80", "the container receives the connection on port 80")
node1:listen("host", "tcp", 3389)
expect.blocked{from = "web", to = "node1", proto = "tcp", port = 8081, verdict = "refused",
               what = "an unpublished port is the host's, which does not listen there"}

-- docker rm: the mapping goes with the endpoint.
expect.truthy(d:rm("web-app"), "docker rm removes the container's endpoint")
expect.blocked{from = "web", to = "node1", proto = "tcp", port = 8080, sport = 50000, verdict = "refused",
               what = "the published port is gone with the container"}

-- A reboot: the NAT network survives on WS2016 only; dockerd makes it again.
fault.reboot(node1)
local _, created = d:ensure_network()
expect.equal(created, node1.profile ~= "ws2016", "the daemon recreates the NAT network after a reboot from WS2019 on")
