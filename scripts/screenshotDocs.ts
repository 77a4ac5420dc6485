#!/usr/bin/env node
import { runPictureScript } from './headlessChromium';
import { emailPictures } from './screenshotEmails';
import { teamsCardPicture } from './screenshotTeamsCard';

// `npm run screenshot [-- DIR]`: every picture of docs/ (the sample e-mails and the Teams card), taken by
// headless Chromium. Without Chromium it says so and takes none.

if (require.main === module) runPictureScript('screenshot', [emailPictures, teamsCardPicture]);
