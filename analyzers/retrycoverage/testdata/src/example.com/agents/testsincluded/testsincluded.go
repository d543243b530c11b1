package testsincluded

type Agent struct{}
