module example.com/busybox

go 1.22
