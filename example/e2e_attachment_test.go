//go:build !js

package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndToEndAttachments shows an incident's attachments, uploads a
// binary file through the worker (a Blob body) and downloads it back (an
// ArrayBuffer), with every byte value intact.
func TestEndToEndAttachments(t *testing.T) {
	d, b := connectedDemo(t)

	bin := make([]byte, 256)
	for i := range bin {
		bin[i] = byte(i)
	}
	file := filepath.Join(t.TempDir(), "e2e.bin")
	require.NoError(t, os.WriteFile(file, bin, 0o600))

	b.step(b.page, "opening the newest incident's attachments", 20*time.Second,
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorDeny),
		waitJS(`document.querySelector('#rows tr[data-id] td.files')?.textContent === '1 file'`),
		chromedp.Click("#rows tr[data-id]", chromedp.ByQuery),
		waitJS(`document.querySelector('#files-for').textContent.startsWith('INC0010300')`),
		waitJS(`document.querySelector('#files').textContent.includes('notes.txt')`))

	b.step(b.page, "uploading a binary file", 20*time.Second,
		chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByID),
		chromedp.Click("#upload-button", chromedp.ByID),
		waitJS(`document.querySelector('#files').textContent.includes('e2e.bin (256 bytes, application/octet-stream)')`),
		waitJS(`document.querySelector('#rows tr[data-id] td.files').textContent === '2 files'`))
	ct, got, ok := d.emulator.AttachmentFile("e2e.bin")
	require.True(t, ok, "the instance stored the upload")
	assert.Equal(t, "application/octet-stream", ct)
	assert.Equal(t, bin, got, "every byte arrived as sent")

	b.step(b.page, "downloading it", 20*time.Second,
		chromedp.Evaluate(`[...document.querySelectorAll('#files li')].find((li) => li.textContent.includes('e2e.bin')).querySelector('button').click()`, nil),
		waitJS(`document.querySelector('#log').textContent.includes('Downloaded e2e.bin: 256 bytes as an ArrayBuffer')`),
		chromedp.Evaluate(`[...document.querySelectorAll('#files li')].find((li) => li.textContent.includes('notes.txt')).querySelector('button').click()`, nil),
		waitJS(`document.querySelector('#log').textContent.includes('Downloaded notes.txt')`))
	noTokensOrProblems(b, d)
}
