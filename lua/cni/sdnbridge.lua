-- cni/sdnbridge.lua: the sdnbridge CNI plugin of
-- microsoft/windows-container-networking (plugins/sdnbridge: main calls
-- common/core Core()), for L2Bridge networks. Everything is in cni.sdn;
-- see there for what the plugin does and where it differs from win-bridge.
-- forceBridgeGateway (x.2 as the pod's gateway, microsoft/
-- windows-container-networking#40) and enableDualStack (a pre-made
-- L2Bridge network, one IPv4 and one IPv6 address) are the options that
-- matter for a bridge.

local sdn = require("cni.sdn")

local M = {name = "sdnbridge"}

function M.add(h, conf, args) return sdn.add("sdnbridge", h, conf, args) end
function M.del(h, conf, args) return sdn.del("sdnbridge", h, conf, args) end
function M.check(h, conf, args) return sdn.check("sdnbridge", h, conf, args) end

return M
