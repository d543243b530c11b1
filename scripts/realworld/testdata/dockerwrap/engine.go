// Package engine is a hand-written wrapper of the Docker Engine API
// client (github.com/moby/moby/client), as a service that runs
// containers would have one.
package engine

import (
	"bytes"
	"context"
	"io"

	"github.com/moby/moby/client"
)

// Engine runs containers on one Docker daemon.
type Engine struct {
	Client *client.Client
}

// Containers returns the IDs of the running containers.
func (e *Engine) Containers(ctx context.Context) ([]string, error) {
	res, err := e.Client.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range res.Items {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// Run creates a container from image (named name, when not empty) and
// starts it.
func (e *Engine) Run(ctx context.Context, image, name string) (string, error) {
	created, err := e.Client.ContainerCreate(ctx, client.ContainerCreateOptions{Image: image, Name: name})
	if err != nil {
		return "", err
	}
	if _, err := e.Client.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return "", err
	}
	return created.ID, nil
}

// Remove removes the container id.
func (e *Engine) Remove(ctx context.Context, id string) error {
	_, err := e.Client.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true})
	return err
}

// Build builds an image tagged tag from the tar archive tarCtx and
// returns the build's output.
func (e *Engine) Build(ctx context.Context, tarCtx io.Reader, tag string) (string, error) {
	res, err := e.Client.ImageBuild(ctx, tarCtx, client.ImageBuildOptions{Tags: []string{tag}})
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return string(out), err
}

// BuildBytes builds from a tar archive in memory.
func (e *Engine) BuildBytes(ctx context.Context, tarCtx []byte, tag string) (string, error) {
	return e.Build(ctx, bytes.NewReader(tarCtx), tag)
}

// Pull pulls ref and waits for the pull to end.
func (e *Engine) Pull(ctx context.Context, ref string) error {
	res, err := e.Client.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer res.Close()
	return res.Wait(ctx)
}
