-- cni/sdnoverlay.lua: the sdnoverlay CNI plugin of
-- microsoft/windows-container-networking (plugins/sdnoverlay
-- sdnoverlay_windows.go: main calls common/core Core()), for Overlay
-- networks. The same core as sdnbridge (cni.sdn): unlike win-overlay it
-- derives no MAC from the IP and adds no provider-address policy of its
-- own; flannel's sdnoverlay configurations (microsoft/SDN, sig-windows-tools)
-- carry OutBoundNAT, SDNRoute and ProviderAddress in AdditionalArgs.

local sdn = require("cni.sdn")

local M = {name = "sdnoverlay"}

function M.add(h, conf, args) return sdn.add("sdnoverlay", h, conf, args) end
function M.del(h, conf, args) return sdn.del("sdnoverlay", h, conf, args) end
function M.check(h, conf, args) return sdn.check("sdnoverlay", h, conf, args) end

return M
